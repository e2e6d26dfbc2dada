"""Persian: "5 مارس 2026" (Django's month names, Gregorian calendar), a 24-hour clock."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، ساعت H:i"
