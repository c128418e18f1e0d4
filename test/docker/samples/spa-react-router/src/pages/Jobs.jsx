import { Link } from 'react-router-dom';
import { loadJobs } from '../jobs.js';

export default function Jobs() {
  return (
    <ul>
      {loadJobs().map((job) => (
        <li key={job.id}>
          <Link to={`/jobs/${job.id}`}>{job.title}</Link> at {job.company}
        </li>
      ))}
    </ul>
  );
}
