"""The public data in the formats the field already uses: FollowTheMoney entities, W3C Web
Annotations, Popolo, CSV, and the versioned releases that bundle them.

Every module here reads the public rows only (`advocacy.publication.reading`): what they
write was built, redacted and stored when the records were published, never recomputed
from the working tables (tests/publication/test_architecture.py checks the imports).
"""
