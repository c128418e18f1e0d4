# A Rust toolchain image made from Debian's packages, for machines that cannot pull rust:* from
# Docker Hub: buildpack-deps (like the official rust image) plus rustc and cargo.
FROM buildpack-deps:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends rustc cargo && rm -rf /var/lib/apt/lists/*
CMD ["bash"]
