/**
 * Request counts and latency histograms per method, route and status, kept in plain arrays and
 * written out in the Prometheus text format at scrape time. Recording a request is one map
 * lookup and a few additions, where a labelled prom-client metric hashes its labels every time.
 */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  labels: string;
  buckets: number[];
  count: number;
  sum: number;
}

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function createHttpMetrics() {
  const series = new Map<string, Series>();

  function record(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let s = series.get(key);
    if (!s) {
      s = { labels: `method="${escape(method)}",route="${escape(route)}",status_code="${status}"`, buckets: BUCKETS.map(() => 0), count: 0, sum: 0 };
      series.set(key, s);
    }
    s.count++;
    s.sum += seconds;
    // Buckets are kept per bound (not cumulative) and summed when written.
    for (let i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]) {
        s.buckets[i]++;
        break;
      }
    }
  }

  function exposition(): string {
    const lines = ['# HELP http_requests_total HTTP requests by route', '# TYPE http_requests_total counter'];
    for (const s of series.values()) lines.push(`http_requests_total{${s.labels}} ${s.count}`);
    lines.push('# HELP http_request_duration_seconds HTTP request latency by route', '# TYPE http_request_duration_seconds histogram');
    for (const s of series.values()) {
      let cumulative = 0;
      BUCKETS.forEach((le, i) => {
        cumulative += s.buckets[i];
        lines.push(`http_request_duration_seconds_bucket{le="${le}",${s.labels}} ${cumulative}`);
      });
      lines.push(`http_request_duration_seconds_bucket{le="+Inf",${s.labels}} ${s.count}`);
      lines.push(`http_request_duration_seconds_sum{${s.labels}} ${s.sum}`);
      lines.push(`http_request_duration_seconds_count{${s.labels}} ${s.count}`);
    }
    return `${lines.join('\n')}\n`;
  }

  return { record, exposition };
}
