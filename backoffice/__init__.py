"""Staff tools beyond each app's admin: the dashboard, the roles (groups and their rights), the
history of every tracked model, backup and restore."""
