"""Stories coming in: submissions of the share-your-story form made into draft stories, with a
private record of each customer's consent (``followhome intake import``)."""
