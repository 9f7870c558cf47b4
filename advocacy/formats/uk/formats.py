"""Ukrainian dates: the day unpadded and the year marked, as in "25 листопада 2022 р." and
"листопад 2022 р." (Django's own: "25 листопада 2022 р." but "Листопад 2022")."""

DATE_FORMAT = "j E Y р."
DATETIME_FORMAT = "j E Y р. H:i"
YEAR_MONTH_FORMAT = "F Y р."
