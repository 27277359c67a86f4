DROP TABLE agenda_sessions;
DROP TABLE agendas;
