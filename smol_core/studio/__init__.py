"""The page's session: the project in hand, who may use which key, the run history."""
