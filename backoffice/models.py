"""Historical models are created at start-up by backoffice.history; none are declared here."""
