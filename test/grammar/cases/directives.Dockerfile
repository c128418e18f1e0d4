# syntax=docker/dockerfile:1.7
# escape=\
# check=skip=JSONArgsRecommended,StageNameCasing;error=true
# multistage-ignore-file unpinned-base-image
FROM node:20 AS build
# hadolint ignore=DL3008,DL3009
RUN apt-get update && apt-get install -y curl
# hadolint global ignore=DL3059
# multistage-ignore apt-lists-not-removed,apt-recommends-installed
RUN apt-get install -y git
# multistage-ignore
RUN true
# syntax=not/a-directive-here
# an ordinary comment
