"""Arabic: "5 مارس 2026" (Django's month names), a 24-hour clock, the Arabic comma."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
