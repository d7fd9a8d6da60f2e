-- The correlation id of the command that took each decision: everything that later happens to the decision
-- (evidence, appeals and their rulings, reversal, expiry) is correlated with it.
ALTER TABLE decision_view ADD COLUMN correlation_id VARCHAR(128);
