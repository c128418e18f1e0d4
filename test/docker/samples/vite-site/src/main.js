document.querySelector('#app').textContent = `built at ${new Date(0).toISOString()}`;
