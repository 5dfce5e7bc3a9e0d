"""Talking to a model: the client, one streamed call with its retries, the built-in model."""
