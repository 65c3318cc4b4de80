"""Meetings: kommunemøter, council, network and national meetings with agenda,
invitations, attendance, minutes, decisions and follow-up tasks (issue 12)."""
