/** @type {import('next').NextConfig} */
const nextConfig = {
  // A self-contained server in .next/standalone for the container image.
  output: 'standalone',
  reactStrictMode: true,
};

export default nextConfig;
