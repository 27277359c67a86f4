DROP TRIGGER bilateral_bookings_no_overlap_update;
DROP TRIGGER bilateral_bookings_no_overlap_insert;
DROP TABLE bilateral_bookings;
DROP TABLE bilateral_rooms;
ALTER TABLE meetings DROP COLUMN bilateral_daily_limit;
