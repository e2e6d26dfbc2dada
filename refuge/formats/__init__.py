"""The portal's own date and time formats per interface language (FORMAT_MODULE_PATH).

Each module names only what differs from Django's locale data; get_format() falls back to
Django's for the rest. Templates name formats (``|date:"DATE_FORMAT"``), so each language
writes dates its own way. Digits stay Western (0-9) in every language (docs/translations.md).
"""
