"""The new stuff going out: what is new for each service, the record of what was handed over
(``delivered.yml``), and the clients of the hubs, email services and social networks
(``followhome announce``, ``send`` and ``post``). Never a build step: builds use no network."""
