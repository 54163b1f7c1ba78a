"""Investor–project meetings (domain): profiles of the institutions that take meetings, rounds of
slots at tables, requests and their answers, the organizer's generated schedule and each
meeting's outcome. Registrations and their delegates belong to registrations."""
