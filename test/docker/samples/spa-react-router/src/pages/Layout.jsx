import { Link, Outlet } from 'react-router-dom';

export default function Layout() {
  return (
    <>
      <nav>
        <Link to="/">Home</Link> | <Link to="/jobs">Jobs</Link> | <Link to="/add-job">Add a job</Link>
      </nav>
      <main>
        <Outlet />
      </main>
    </>
  );
}
