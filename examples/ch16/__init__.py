"""Chapter 16 (Monitoring and Preemptive Support): metrics, alarms, logs on the frequency server."""
