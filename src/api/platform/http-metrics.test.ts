import { describe, expect, it } from 'vitest';
import { createHttpMetrics } from './http-metrics.js';

describe('HTTP metrics exposition', () => {
  it('counts per method, route and status with cumulative buckets, sum and count', () => {
    const m = createHttpMetrics();
    m.record('GET', '/v1/track/:track_id', 200, 0.0004);
    m.record('GET', '/v1/track/:track_id', 200, 0.003);
    m.record('GET', '/v1/track/:track_id', 200, 20);
    m.record('GET', '/v1/track/:track_id', 404, 0.002);
    const text = m.exposition();
    const labels = 'method="GET",route="/v1/track/:track_id",status_code="200"';
    expect(text).toContain(`http_requests_total{${labels}} 3`);
    expect(text).toContain(`http_requests_total{method="GET",route="/v1/track/:track_id",status_code="404"} 1`);
    expect(text).toContain(`http_request_duration_seconds_bucket{le="0.001",${labels}} 1`);
    expect(text).toContain(`http_request_duration_seconds_bucket{le="0.005",${labels}} 2`);
    expect(text).toContain(`http_request_duration_seconds_bucket{le="10",${labels}} 2`);
    expect(text).toContain(`http_request_duration_seconds_bucket{le="+Inf",${labels}} 3`);
    expect(text).toContain(`http_request_duration_seconds_count{${labels}} 3`);
    expect(Number(/http_request_duration_seconds_sum\{method="GET",route="\/v1\/track\/:track_id",status_code="200"\} (\S+)/.exec(text)![1])).toBeCloseTo(20.0034, 6);
    expect(text.match(/# TYPE /g)).toHaveLength(2);
  });

  it('escapes label values', () => {
    const m = createHttpMetrics();
    m.record('GET', 'a"b\\c\nd', 200, 0.1);
    expect(m.exposition()).toContain('route="a\\"b\\\\c\\nd"');
  });
});
