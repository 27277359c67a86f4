DROP TABLE evaluation_assignments;
DROP TABLE conflict_declarations;
DROP TABLE evaluator_profiles;
