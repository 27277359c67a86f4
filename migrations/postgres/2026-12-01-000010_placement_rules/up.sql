-- The scheduling rules' weights and hard/soft switches a meeting sets (only what differs
-- from the product's defaults, as JSON), and each session type's placement rules.
ALTER TABLE meetings ADD COLUMN scheduling_rules TEXT NOT NULL DEFAULT '{}';
ALTER TABLE session_types ADD COLUMN placement TEXT NOT NULL DEFAULT '{}';

-- The default types that have placement rules (DOMAIN.md, part B).
UPDATE session_types SET placement = '{"days":"day_zero"}' WHERE code = 'day_zero';
UPDATE session_types SET placement = '{"position":"opening"}' WHERE code = 'opening_ceremony';
UPDATE session_types SET placement = '{"position":"closing"}' WHERE code = 'closing_ceremony';
