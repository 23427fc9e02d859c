console.log('[winnow] postinstall: nothing yet')
