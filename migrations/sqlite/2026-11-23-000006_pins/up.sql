-- A session pinned to a room and slot stays there in every solve and repair.
-- (Checked against the meeting's rooms and slots by the service; no foreign keys, so
-- that the columns can be dropped again on SQLite.)
ALTER TABLE sessions ADD COLUMN pinned_room_id BIGINT;
ALTER TABLE sessions ADD COLUMN pinned_slot_id BIGINT;
