DROP TABLE session_reports;
ALTER TABLE meetings DROP COLUMN full_report_days;
ALTER TABLE meetings DROP COLUMN short_report_hours;
