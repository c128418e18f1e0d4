// Bare names that are Docker Hub official images. `COPY --from=nginx` legitimately copies from an
// image, so a bare --from value on this list is not reported as an unknown stage.
export const OFFICIAL_IMAGE_NAMES: ReadonlySet<string> = new Set([
  'alpine', 'almalinux', 'amazoncorretto', 'amazonlinux', 'archlinux', 'bash', 'busybox', 'caddy', 'cassandra',
  'centos', 'clojure', 'composer', 'consul', 'couchdb', 'dart', 'debian', 'docker', 'eclipse-temurin', 'elasticsearch',
  'elixir', 'erlang', 'fedora', 'gcc', 'ghost', 'golang', 'gradle', 'haproxy', 'haskell', 'httpd', 'influxdb',
  'jetty', 'jruby', 'julia', 'kibana', 'logstash', 'mariadb', 'maven', 'memcached', 'mongo', 'mysql', 'neo4j',
  'nextcloud', 'nginx', 'node', 'openjdk', 'oraclelinux', 'perl', 'php', 'postgres', 'pypy', 'python', 'rabbitmq',
  'redis', 'registry', 'rockylinux', 'ruby', 'rust', 'sapmachine', 'swift', 'telegraf', 'tomcat', 'traefik',
  'ubuntu', 'vault', 'wordpress', 'zookeeper', 'ibmjava', 'groovy', 'kong', 'nats', 'solr', 'sonarqube',
  'buildpack-deps', 'hello-world', 'scratch', 'emqx', 'mongo-express', 'odoo', 'drupal', 'joomla', 'matomo',
]);

/** Whether a --from value reads as an image reference rather than a stage name. */
export function looksLikeImageReference(value: string): boolean {
  return /[/:@.]/.test(value) || OFFICIAL_IMAGE_NAMES.has(value.toLowerCase());
}
