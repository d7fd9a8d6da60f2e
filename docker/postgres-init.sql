-- The image creates the role and the moderation database from its environment; audit-service has its own.
CREATE DATABASE audit OWNER verdict;
