"""Fan-out between nodes behind the `Broker` port: in-process by default, Redis when scaled."""
