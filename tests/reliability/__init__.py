"""Fault injection and hostile input: damaged files, kills, absurd arguments, racing programs."""
