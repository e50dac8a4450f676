"""The publish stage: rendering (html, feeds, attribution), signing, retry policy,
and the orchestration that sends one article version to every target
(`synd.publish.publisher.publish_message`)."""
