"""The database: engines and migrations (`db`), the tables (`schema`), what differs per
engine (`backend`), and the `Store` the service reads and ingests through."""
