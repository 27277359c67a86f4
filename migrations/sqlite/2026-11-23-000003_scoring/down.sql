DROP TABLE proposal_decisions;
DROP TABLE selection_runs;
DROP TABLE evaluation_scores;
DROP TABLE evaluation_settings;
