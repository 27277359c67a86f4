DROP TABLE bilateral_bookings;
DROP TABLE bilateral_rooms;
ALTER TABLE meetings DROP COLUMN bilateral_daily_limit;
DROP EXTENSION IF EXISTS btree_gist;
