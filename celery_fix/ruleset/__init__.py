"""The base classes every rule builds on."""
