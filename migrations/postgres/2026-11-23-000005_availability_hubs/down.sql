DROP TABLE hub_sessions;
DROP TABLE remote_hubs;
DROP TABLE unavailability;
