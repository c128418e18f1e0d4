// The board's data lives in the browser: the app is a static site.
const KEY = 'jobs';
const SEED = [
  { id: '1', title: 'Frontend developer', company: 'Acme' },
  { id: '2', title: 'Site reliability engineer', company: 'Globex' },
];

export function loadJobs() {
  const stored = localStorage.getItem(KEY);
  return stored ? JSON.parse(stored) : SEED;
}

export function addJob(job) {
  const jobs = [...loadJobs(), { ...job, id: String(Date.now()) }];
  localStorage.setItem(KEY, JSON.stringify(jobs));
  return jobs;
}
