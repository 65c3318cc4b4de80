"""Background work for reporting: recurring rounds and reminders."""
