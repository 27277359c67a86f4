DROP TABLE meeting_evaluators;
