export const recipes = [
  { slug: 'pancakes', title: 'Pancakes', minutes: 20 },
  { slug: 'shakshuka', title: 'Shakshuka', minutes: 30 },
];
