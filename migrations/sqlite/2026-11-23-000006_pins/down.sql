ALTER TABLE sessions DROP COLUMN pinned_slot_id;
ALTER TABLE sessions DROP COLUMN pinned_room_id;
