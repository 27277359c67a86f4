DROP TABLE schedule_jobs;
DROP TABLE schedule_placements;
DROP TABLE schedule_versions;
DROP TABLE session_people;
DROP TABLE sessions;
