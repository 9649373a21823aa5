"""The ``hindsight`` command line and the drafts it writes (``new``, ``prep``), and how it
speaks on a terminal."""
