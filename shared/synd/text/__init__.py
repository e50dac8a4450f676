"""Text helpers shared by the format parsers: dates, authors, labelled header
lines, and paragraph-level cleaning of article bodies."""
