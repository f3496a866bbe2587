/** Peak process memory, sampled on a timer (the high-water mark between two resets). */
export interface MemoryPeak {
  rssMax: number;
  heapUsedMax: number;
  samples: number;
}

export function memorySampler(intervalMs = 20) {
  let peak: MemoryPeak = { rssMax: 0, heapUsedMax: 0, samples: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rssMax = Math.max(peak.rssMax, m.rss);
    peak.heapUsedMax = Math.max(peak.heapUsedMax, m.heapUsed);
    peak.samples++;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    /** The peak since the last reset (sampled once more now). */
    peak(): MemoryPeak {
      sample();
      return { ...peak };
    },
    reset(): void {
      peak = { rssMax: 0, heapUsedMax: 0, samples: 0 };
      sample();
    },
    stop: () => clearInterval(timer),
  };
}
