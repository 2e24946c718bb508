// COUNTER Release 5 §7.8: activity by robots and crawlers must be excluded. COUNTER publishes a long
// list of user-agent patterns; these are the families that account for nearly all of it (search
// engine and AI crawlers, link previewers, monitors, archivers, HTTP libraries and headless
// browsers). Events from a matching agent are stored with robot = true and never counted.

export const ROBOT_PATTERNS: readonly RegExp[] = [
  /bot\b|bot[/\s;_(:+-]|^bot/i, // Googlebot/2.1, bingbot, GPTBot, ClaudeBot, DuckDuckBot, AhrefsBot ...
  /crawl|spider|slurp|scrap(e|er|y)/i,
  /archive\.org|ia_archiver|heritrix|httrack|nutch|wget|curl\//i,
  /python-(requests|urllib)|aiohttp|httpx|go-http-client|java\/|okhttp|libwww-perl|lwp::|apache-httpclient|node-fetch|axios\/|undici|^node(\.js)?$/i,
  /headlesschrome|phantomjs|puppeteer|playwright|selenium|lighthouse/i,
  /facebookexternalhit|embedly|preview|whatsapp|slackbot|discordbot|skypeuripreview/i,
  /monitor|uptime|pingdom|statuscake|check_http|nagios|zgrab|masscan|nikto|sqlmap|nmap/i,
  /feedfetcher|mediapartners|adsbot|bytespider|petalbot|semrush|ccbot|perplexity|mj12|yandex|baiduspider|sogou/i,
];

/** True for a robot or an automated client; a request with no user agent at all counts as one. */
export function isRobotUserAgent(userAgent: string | null | undefined): boolean {
  const ua = (userAgent ?? '').trim();
  if (!ua) return true;
  return ROBOT_PATTERNS.some((p) => p.test(ua));
}
