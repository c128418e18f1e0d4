import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { addJob } from '../jobs.js';

export default function AddJob() {
  const [title, setTitle] = useState('');
  const [company, setCompany] = useState('');
  const navigate = useNavigate();
  const submit = (event) => {
    event.preventDefault();
    addJob({ title, company });
    navigate('/jobs');
  };
  return (
    <form onSubmit={submit}>
      <input value={title} onChange={(e) => setTitle(e.target.value)} placeholder="Title" required />
      <input value={company} onChange={(e) => setCompany(e.target.value)} placeholder="Company" required />
      <button type="submit">Add</button>
    </form>
  );
}
