import { useParams } from 'react-router-dom';
import { loadJobs } from '../jobs.js';

export default function Job() {
  const { id } = useParams();
  const job = loadJobs().find((j) => j.id === id);
  return job ? <h2>{job.title} at {job.company}</h2> : <p>No such job.</p>;
}
