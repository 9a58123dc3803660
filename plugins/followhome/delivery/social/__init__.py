"""Social networks: the post's text (:mod:`.text`) and the clients of Mastodon and Bluesky.

A client turns one :class:`~followhome.delivery.handover.Post` into one post, once: Mastodon by
the ``Idempotency-Key`` it keeps for an hour, Bluesky by a record key derived from the item's
permanent id and looked up before each create. Past Mastodon's hour only ``delivered.yml``
keeps an item from going twice, so the command records each post as soon as it is confirmed.
"""
