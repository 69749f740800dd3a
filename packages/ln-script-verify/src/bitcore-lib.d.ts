declare module 'bitcore-lib';
