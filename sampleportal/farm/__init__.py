"""The sample-portal farm: many portals of different CMS families, generated on request (docs/FARM.md)."""
