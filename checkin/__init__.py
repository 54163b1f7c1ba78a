"""On the day (audience: protocol and check-in staff): badges as PDF with signed QR codes,
the keys that sign them, check-in lists with their entrances and rules, every scan and its
answer, the scan page for phones (camera, USB scanner, manual search, offline queue) and the
live view of arrivals. Delegates themselves belong to registrations."""
