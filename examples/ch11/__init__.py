"""Chapter 11: releases -- the basestation release manifest for the bsc application, and the
project layout `rebar3 new release` generates (rebar3_project)."""
